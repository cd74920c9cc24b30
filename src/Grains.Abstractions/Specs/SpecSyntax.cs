using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>The checks of a spec's text before its keys are read: YAML or strict JSON syntax, with line and column, and oversized values.</summary>
internal static class SpecSyntax
{
    /// <summary>Runs YAML's parser over the whole text: the first syntax error with its line and column, or null.</summary>
    public static SpecError? YamlSyntaxError(string text, SpecFormat format)
    {
        var parser = new Parser(new StringReader(text));
        var last = new Mark(0, 1, 1);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        // YamlDotNet reports an unknown anchor at the document's start, and resolves one defined later: name the alias.
                        return SyntaxError(format, $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it", alias.Start);
                    case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node:
                        anchors.Add(node.Anchor.Value);
                        break;
                }
                last = parser.Current?.End ?? last;
            }
            return null;
        }
        catch (YamlException e)
        {
            return SyntaxError(format, Message(e), e.Start);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet lets a few malformed inputs (an empty verbatim tag, an escape beyond Unicode) escape
            // as other exceptions, without a position: the error lies after the last event it read.
            return SyntaxError(format, e.Message, last);
        }
    }

    /// <summary>Strict JSON (no trailing commas, no comments): the first error with its line and column, or null.</summary>
    public static SpecError? JsonSyntaxError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            return null;
        }
        catch (JsonException e)
        {
            // System.Text.Json counts from 0 and appends the position to its message; say it once, from 1.
            var message = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd();
            return new SpecError("(spec)", $"not valid JSON: {message}")
            {
                Line = (int)(e.LineNumber ?? 0) + 1,
                Column = (int)(e.BytePositionInLine ?? 0) + 1,
            };
        }
    }

    public static SpecError SyntaxError(SpecFormat format, string message, Mark at) =>
        new("(spec)", $"not valid {(format == SpecFormat.Json ? "JSON" : "YAML")}: {message}")
        {
            Line = Math.Max(1, (int)at.Line),
            Column = Math.Max(1, (int)at.Column),
        };

    public static string Message(YamlException e) => e.InnerException?.Message ?? e.Message;

    /// <summary>The first key or value longer than <see cref="SweepSpecLimits"/> allow, before anything echoes it.</summary>
    public static SpecError? OversizedValue(YamlMappingNode root)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, string Path, int Limit)>();
        foreach (var (key, value) in root.Children)
        {
            var name = SpecYamlReader.Scalar(key) ?? "";
            pending.Push((key, "(key)", SweepSpecLimits.MaxValueLength));
            pending.Push((value, name.Length <= SweepSpecLimits.MaxValueLength ? name : "(key)",
                name == "description" ? SweepSpecLimits.MaxDescriptionLength : SweepSpecLimits.MaxValueLength));
        }
        while (pending.TryPop(out var item))
        {
            if (!seen.Add(item.Node))
            {
                continue;   // an alias seen before (possibly recursive)
            }
            switch (item.Node)
            {
                case YamlScalarNode { Value: { } value } when value.Length > item.Limit:
                    return new SpecError(item.Path, SweepSpecLimits.TooLong(value.Length, item.Limit)) { Line = SpecYamlReader.Line(item.Node), Column = (int)item.Node.Start.Column };
                case YamlSequenceNode list:
                    foreach (var child in list.Children)
                    {
                        pending.Push((child, item.Path, SweepSpecLimits.MaxValueLength));
                    }
                    break;
                case YamlMappingNode nested:
                    foreach (var (key, value) in nested.Children)
                    {
                        pending.Push((key, item.Path, SweepSpecLimits.MaxValueLength));
                        pending.Push((value, item.Path, SweepSpecLimits.MaxValueLength));
                    }
                    break;
            }
        }
        return null;
    }
}
