using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ModelSwap.Bench.Gateway;

/// <summary>
/// The processes under test: one fake upstream, ModelSwap (`modelswap serve`) whose "warm" model points
/// at that same upstream, and nginx proxying to it when nginx is installed.
/// </summary>
internal sealed class BenchLab : IAsyncDisposable
{
    private readonly List<ChildProcess> _children = [];
    private string _directory = "";

    public Uri Direct { get; private set; } = null!;
    public int UpstreamPid { get; private set; }
    public int ModelSwapPid { get; private set; }
    public int? NginxPid { get; private set; }
    public Uri ModelSwap { get; private set; } = null!;
    public Uri? Nginx { get; private set; }
    public string FakeDll { get; } = Path.Combine(AppContext.BaseDirectory, "ModelSwap.FakeUpstream.dll");

    public static async Task<BenchLab> StartAsync(BenchSettings settings)
    {
        var lab = new BenchLab { _directory = Directory.CreateTempSubdirectory("modelswap-bench-").FullName };
        var upstreamPort = FreePort();
        lab._children.Add(ChildProcess.Start("dotnet", lab.FakeDll, "--port", upstreamPort.ToString(), "--name", "warm"));
        lab.UpstreamPid = lab._children[^1].Process.Id;
        lab.Direct = new Uri($"http://127.0.0.1:{upstreamPort}");
        await WaitHealthyAsync(lab.Direct, "/health", TimeSpan.FromSeconds(30));

        var config = Path.Combine(lab._directory, "config.yaml");
        // "warm" runs a placeholder command and points at the shared upstream, so all three paths
        // reach the very same server. a and b are real fakes that the swap benchmark alternates.
        await File.WriteAllTextAsync(config, $$"""
            logLevel: warn
            models:
              warm:
                cmd: sleep 1000000
                proxy: http://127.0.0.1:{{upstreamPort}}
              swap-a:
                cmd: dotnet "{{lab.FakeDll}}" --port ${PORT} --name swap-a
              swap-b:
                cmd: dotnet "{{lab.FakeDll}}" --port ${PORT} --name swap-b
            groups:
              warm:
                persistent: true
                exclusive: false
                swap: false
                members: [warm]
            """);
        var gatewayPort = FreePort();
        lab._children.Add(ChildProcess.Start("dotnet", Path.Combine(AppContext.BaseDirectory, "modelswap.dll"),
            "serve", "--config", config, "--listen", $"127.0.0.1:{gatewayPort}"));
        lab.ModelSwapPid = lab._children[^1].Process.Id;
        lab.ModelSwap = new Uri($"http://127.0.0.1:{gatewayPort}");
        await WaitHealthyAsync(lab.ModelSwap, "/health", TimeSpan.FromSeconds(60));

        lab.Nginx = await lab.StartNginxAsync(upstreamPort);
        return lab;
    }

    private async Task<Uri?> StartNginxAsync(int upstreamPort)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (nginx is null)
        {
            Console.WriteLine("nginx: not installed (bench/run.sh installs it with apt-get); nginx baseline skipped");
            return null;
        }
        var port = FreePort();
        var prefix = Path.Combine(_directory, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var conf = Path.Combine(prefix, "nginx.conf");
        // A fair proxy_pass: keep-alive to the upstream, no buffering (streams must pass through), no access log.
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            worker_processes 1;
            error_log {{prefix}}/logs/error.log warn;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              upstream fake { server 127.0.0.1:{{upstreamPort}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://fake;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_buffering off;
                  proxy_request_buffering off;
                }
              }
            }
            """);
        _children.Add(ChildProcess.Start(nginx, "-p", prefix, "-c", conf));
        NginxPid = _children[^1].Process.Id;
        var uri = new Uri($"http://127.0.0.1:{port}");
        await WaitHealthyAsync(uri, "/health", TimeSpan.FromSeconds(20));
        return uri;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<TimeSpan> WaitHealthyAsync(Uri baseUri, string path, TimeSpan within, TimeSpan? poll = null)
    {
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(1));
        }
        throw new TimeoutException($"{baseUri}{path} not healthy within {within}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
