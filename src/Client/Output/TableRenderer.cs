using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sweep.Client.Output;

/// <summary>Renders a <see cref="TableModel"/> on the console.</summary>
public static class TableRenderer
{
    public static Table ToSpectre(TableModel model)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(model.Title)}[/]");
        foreach (var column in model.Columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }
        for (var i = 0; i < model.Rows.Count; i++)
        {
            if (i > 0 && model.GroupStarts.Contains(i))
            {
                table.AddEmptyRow();
            }
            table.AddRow(model.Rows[i].Select(cell => (IRenderable)new Text(cell)).ToArray());
        }
        return table;
    }

    public static void Write(IAnsiConsole console, TableModel model, bool notes = true)
    {
        console.Write(ToSpectre(model));
        if (notes)
        {
            foreach (var note in model.Notes)
            {
                console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
            }
        }
    }
}
