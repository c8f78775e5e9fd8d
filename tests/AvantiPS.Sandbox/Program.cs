using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using AvantiPS.Sandbox;

// AvantiPS.Sandbox: a local, faithful stand-in for the Avanti API on http://127.0.0.1.
//   dotnet AvantiPS.Sandbox.dll [--port N] [--parent-pid PID]
// Prints exactly one line on stdout once listening: "Sandbox listening on http://127.0.0.1:<port>".

if (!TryParseArguments(args, out var port, out var parentPid, out var usage))
{
    Console.Error.WriteLine(usage);
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    ContentRootPath = AppContext.BaseDirectory,
    EnvironmentName = "Production",
});
builder.Logging.ClearProviders();
builder.Logging.SetMinimumLevel(LogLevel.None);
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
// Stalled requests must not hold up shutdown when the parent goes away.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, port);
    // A second, https listener with a throwaway self-signed certificate, so tests can show the client
    // refuses a certificate it cannot validate.
    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(SelfSignedCertificate.Create()));
    kestrel.AddServerHeader = false;
});
if (parentPid is int pid)
{
    if (!ParentWatcher.IsRunning(pid))
    {
        Console.Error.WriteLine($"Sandbox not started: parent process {pid} is not running.");
        return 3;
    }
    builder.Services.AddHostedService(sp => new ParentWatcher(pid, sp.GetRequiredService<IHostApplicationLifetime>()));
}

var settings = new SettingsStore();
var tokens = new TokenStore();
var faults = new FaultStore();
var log = new RequestLog();
var changes = new ChangeLog();
var directories = Identities.All.ToDictionary(i => i.Company, i => new EmployeeDirectory(i), StringComparer.OrdinalIgnoreCase);

var app = builder.Build();
var injector = new FaultInjector(faults, app.Lifetime);

// 1. Nothing leaks as a stack trace: an unhandled error is a plain 500 problem, or a reset once the body has started.
app.Use(async (ctx, next) =>
{
    try
    {
        await next();
    }
    catch (Exception ex) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
    {
        // A sandbox bug: one line on stderr for whoever runs it, a clean 500 for the client.
        Console.Error.WriteLine($"Sandbox error on {ctx.Request.Method} {ctx.Request.Path}: {ex.GetType().Name}: {ex.Message}");
        ctx.Response.Clear();
        await Problems.Status(ctx, StatusCodes.Status500InternalServerError);
    }
    catch (Exception)
    {
        ctx.Abort();
    }
});
// 2. Strip the API base, count token requests, log every non-control request.
app.Use((ctx, next) => log.Middleware(ctx, next, tokens));
// 3. Fault rules (they act on API and token paths only: the log middleware marks those).
app.Use((ctx, next) => injector.Middleware(ctx, next));
app.UseRouting();

new TokenEndpoints(tokens, settings).Map(app);
new ApiEndpoints(tokens, directories, changes).Map(app);
new ControlEndpoints(settings, tokens, faults, log, changes, directories).Map(app);
app.MapFallback("{**path}", ctx => Problems.NotFound(ctx));

try
{
    await app.StartAsync();
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"Sandbox could not listen on 127.0.0.1:{port}: {ex.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    // The parent went away while the sandbox was starting.
    return 0;
}

var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
var boundPort = new Uri(addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal))).Port;
SelfSignedCertificate.HttpsUrl = "https://127.0.0.1:" + new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal))).Port;
Console.Out.WriteLine($"Sandbox listening on http://127.0.0.1:{boundPort}");
Console.Out.Flush();

await app.WaitForShutdownAsync();
return 0;

static bool TryParseArguments(string[] args, out int port, out int? parentPid, out string usage)
{
    port = 0;
    parentPid = null;
    usage = "usage: dotnet AvantiPS.Sandbox.dll [--port N] [--parent-pid PID]";
    for (var i = 0; i < args.Length; i++)
    {
        var hasValue = i + 1 < args.Length;
        switch (args[i].ToLowerInvariant())
        {
            case "--port" when hasValue && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
                port = p;
                break;
            case "--parent-pid" when hasValue && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0:
                parentPid = pp;
                break;
            default:
                usage = $"invalid argument '{args[i]}'. " + usage;
                return false;
        }
    }
    return true;
}
