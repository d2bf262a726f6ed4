using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>A model's <c>cmdStop</c>: run with <c>${PID}</c> replaced, no shell, output into the model's logs.</summary>
internal static class StopCommand
{
    /// <summary>Starts cmdStop; null (after logging why) when it cannot run, so the caller falls back to SIGTERM.</summary>
    public static async Task<Process?> StartAsync(ModelConfig model, int pid, LaunchWrapper wrapper, Action<string> onLine, ILogger logger)
    {
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        var command = model.StopCommand.Select(a => a.Replace("${PID}", pidText, StringComparison.Ordinal)).ToList();
        var program = CommandResolver.Resolve(command[0], ProcessLauncher.SearchPath(model.Environment));
        if (program is null)
        {
            ProcessLog.StopCommandFailed(logger, model.Id, command[0], "program not found or not executable");
            return null;
        }
        try
        {
            command[0] = program;
            var (stopper, _) = await ProcessLauncher.StartAsync(command, model.Environment, wrapper, static _ => { }).ConfigureAwait(false);
            stopper.StandardInput.Close();
            OutputDrain.Start(stopper.StandardOutput.BaseStream, $"modelswap-stop-out-{pid}", onLine);
            OutputDrain.Start(stopper.StandardError.BaseStream, $"modelswap-stop-err-{pid}", onLine);
            return stopper;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            ProcessLog.StopCommandFailed(logger, model.Id, command[0], e.Message);
            return null;
        }
    }

    /// <summary>Reports a failed cmdStop, kills one still running after the unload timeout, and disposes it.</summary>
    public static void Finish(Process stopper, string modelId, ILogger logger)
    {
        if (!stopper.HasExited)
        {
            TreeKill.TryKill(stopper);
        }
        else if (stopper.ExitCode != 0)
        {
            ProcessLog.StopCommandExitCode(logger, modelId, stopper.StartInfo.FileName, stopper.ExitCode);
        }
        stopper.Dispose();
    }
}
