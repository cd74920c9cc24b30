using Sweep.Client;
using Sweep.Client.Commands;
using Sweep.Client.Configuration;
using Sweep.Client.Output;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Engine settings (oneDNN ISA) must reach the native environment before any convolution runs.
        Sweep.Pruning.Engine.EngineSetup.EnsureInitialized();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var output = CliOutput.ForConsole();
        ClientConfiguration configuration;
        try
        {
            configuration = ClientConfiguration.Load();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or FormatException)
        {
            output.Problem($"Invalid client configuration: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        return await SweepApp.Create(output, configuration).RunAsync(args, cancellation.Token);
    }
}
