using System.ComponentModel;
using System.Reflection;
using System.Reflection.Emit;
using Spectre.Console.Cli;
using Sweep.Options;

namespace Sweep.Client.Commands;

/// <summary>
/// The settings type of <c>sweep train</c>: <see cref="TrainSettings"/> plus one flag per trial option,
/// made at startup from <see cref="TrialOptionSchema"/> (Spectre reads flags from attributed properties),
/// so that the flags, their help and defaults cannot drift from the options the trainer takes.
/// A flag is `--NAME VALUE` (a switch: `--NAME`); a string property keeps the text for the schema's one parse.
/// </summary>
public static class TrainFlags
{
    private static readonly Lazy<Type> Generated = new(Generate);

    /// <summary>The generated subtype of <see cref="TrainSettings"/>.</summary>
    public static Type SettingsType => Generated.Value;

    /// <summary>Registers <c>sweep train</c> with the generated settings type.</summary>
    public static ICommandConfigurator AddTrainCommand(IConfigurator config, string name)
    {
        var command = typeof(TrainCommand<>).MakeGenericType(SettingsType);
        var add = typeof(IConfigurator).GetMethod(nameof(IConfigurator.AddCommand))!.MakeGenericMethod(command);
        return (ICommandConfigurator)add.Invoke(config, [name])!;
    }

    /// <summary>The flag's template, as --help shows it.</summary>
    public static string Template(TrialOption option) =>
        option.Kind == OptionKind.Switch ? $"--{option.Name}" : $"--{option.Name} <{option.ValueName}>";

    /// <summary>The help line: the schema's help, the choices and the default.</summary>
    public static string Description(TrialOption option)
    {
        var text = option.Help;
        if (option.Kind == OptionKind.Choice)
        {
            text += $" One of {string.Join(", ", option.Choices)}.";
        }
        else if (option.Range.ToString() is { Length: > 0 } range)
        {
            text += $" Range {range}.";
        }
        return text + (option.Kind == OptionKind.Switch || option.DefaultText.Length == 0 ? "" : $" Default: {option.DefaultText}.");
    }

    /// <summary>The text the command line gave for <paramref name="option"/>, "true" for a given switch, null when not given.</summary>
    public static string? ValueOf(TrainSettings settings, TrialOption option) =>
        settings.GetType().GetProperty(PropertyName(option))?.GetValue(settings) switch
        {
            string text => text,
            true => "true",
            _ => null,
        };

    private static string PropertyName(TrialOption option) =>
        string.Concat(option.Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static Type Generate()
    {
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Sweep.Client.TrainFlags"), AssemblyBuilderAccess.Run)
            .DefineDynamicModule("TrainFlags");
        var type = module.DefineType(typeof(TrainFlags).FullName + ".Settings", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(TrainSettings));
        type.DefineDefaultConstructor(MethodAttributes.Public);
        foreach (var option in TrialOptionSchema.All)
        {
            DefineFlag(type, option);
        }
        return type.CreateType();
    }

    private static void DefineFlag(TypeBuilder type, TrialOption option)
    {
        var valueType = option.Kind == OptionKind.Switch ? typeof(bool) : typeof(string);
        var name = PropertyName(option);
        var field = type.DefineField("_" + name, valueType, FieldAttributes.Private);
        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;

        var getter = type.DefineMethod("get_" + name, accessor, valueType, Type.EmptyTypes);
        var il = getter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Ret);

        var setter = type.DefineMethod("set_" + name, accessor, null, [valueType]);
        il = setter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);

        var property = type.DefineProperty(name, PropertyAttributes.None, valueType, null);
        property.SetGetMethod(getter);
        property.SetSetMethod(setter);
        property.SetCustomAttribute(Attribute<CommandOptionAttribute>(Template(option)));
        // Spectre renders descriptions as markup: ranges such as (0, 64] must not read as tags.
        property.SetCustomAttribute(Attribute<DescriptionAttribute>(Spectre.Console.Markup.Escape(Description(option))));
    }

    /// <summary>The attribute built by its constructor that takes a text first, the other parameters at their defaults.</summary>
    private static CustomAttributeBuilder Attribute<T>(string text) where T : Attribute
    {
        var constructor = typeof(T).GetConstructors()
            .Where(c => c.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(string) && c.GetParameters().Skip(1).All(p => p.HasDefaultValue))
            .OrderBy(c => c.GetParameters().Length)
            .First();
        return new CustomAttributeBuilder(constructor, [text, .. constructor.GetParameters().Skip(1).Select(p => p.DefaultValue)]);
    }
}
