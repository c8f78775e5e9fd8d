using System.Diagnostics;

namespace AvantiPS.Sandbox;

/// <summary>
/// Stops the sandbox when the process that started it is gone, so a crashed test run never
/// leaves a server behind. Polls once a second.
/// </summary>
public sealed class ParentWatcher(int parentPid, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parent = TryOpen(parentPid);
        var startTime = StartTimeOf(parent);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            if (!IsAlive(parent, startTime))
            {
                lifetime.StopApplication();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>True when a process with this id exists and has not exited.</summary>
    public static bool IsRunning(int pid)
    {
        var process = TryOpen(pid);
        return IsAlive(process, StartTimeOf(process));
    }

    private static Process TryOpen(int pid)
    {
        try
        {
            return Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DateTime? StartTimeOf(Process process)
    {
        try
        {
            return process?.StartTime;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsAlive(Process parent, DateTime? startTime)
    {
        if (parent == null) return false;
        try
        {
            parent.Refresh();
            if (parent.HasExited) return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (OperatingSystem.IsLinux())
        {
            // An exited parent may linger as a zombie until its own parent reaps it.
            try
            {
                var stat = File.ReadAllText($"/proc/{parent.Id}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 2)[0];
                if (state is "Z" or "X") return false;
            }
            catch (IOException)
            {
                return false;
            }
        }

        // A different start time means the PID was reused by an unrelated process.
        var now = StartTimeOf(TryOpen(parent.Id));
        return startTime == null || now == null || now == startTime;
    }
}
