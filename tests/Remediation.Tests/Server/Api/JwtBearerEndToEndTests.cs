using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Server.Api;

/// <summary>
/// Entra ID style bearer tokens (<c>Api:Jwt</c>) on the real server: RS256 tokens from a key of the test's own, its
/// public half given as a JWKS file or found through OpenID Connect discovery on a loopback issuer. Signature, issuer,
/// audience and lifetime decide 401; app roles (<c>roles</c>) and delegated scopes (<c>scp</c>) decide 403; the
/// token's subject is the requester on record.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class JwtBearerEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
{
    private const string Audience = "api://remediation-e2e";

    [Fact]
    public async Task SigningKeysFile_TokensAreCheckedAndTheirSubjectIsTheRequester()
    {
        using var issuer = new TestIssuer("https://login.example/e2e-tenant/v2.0");
        string jwks = Path.Combine(fixture.Facts.StateDirectory, "e2e", $"jwks-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(jwks)!);
        await File.WriteAllTextAsync(jwks, issuer.Jwks);

        await AssertTokensAsync(issuer, new Dictionary<string, string>
        {
            ["Api:Jwt:Audience"] = Audience,
            ["Api:Jwt:Issuer"] = issuer.Name,
            ["Api:Jwt:SigningKeysFile"] = jwks,
        });
    }

    [Fact]
    public async Task OpenIdDiscoveryOnALoopbackIssuer_TokensAreCheckedAgainstItsKeys()
    {
        using var discovery = new OpenIdDiscoveryEndpoint();
        using var issuer = new TestIssuer(discovery.Authority);
        discovery.Serve(issuer);

        await AssertTokensAsync(issuer, new Dictionary<string, string>
        {
            ["Api:Jwt:Audience"] = Audience,
            ["Api:Jwt:Authority"] = discovery.Authority,
            ["Api:Jwt:RequireHttpsMetadata"] = "false",
        });
        Assert.True(discovery.Requests >= 2, $"the server read the issuer's metadata and keys ({discovery.Requests} request(s))");
    }

    private async Task AssertTokensAsync(TestIssuer issuer, Dictionary<string, string> settings)
    {
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(fixture, hub, EndToEndServer.WriteInventory(fixture, hub), settings: settings);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        string dryRun = """{"target":"demo","procedure":"restart-service","service":"odoo","reason":"jwt e2e","requestedBy":"whoever-the-body-says","dryRun":true}""";
        string reader = issuer.Token("reader@contoso", roles: ["Remediation.Read"]);
        string operatorToken = issuer.Token("alice@contoso", scopes: "Remediation.Read Remediation.Operate");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/remediations", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/api/remediations", reader)).Status);
        (HttpStatusCode readerStarts, string forbidden) = await SendAsync(http, HttpMethod.Post, "/api/remediations", reader, dryRun);
        Assert.Equal(HttpStatusCode.Forbidden, readerStarts);
        Assert.Contains("'reader@contoso' does not grant the 'operate' role", forbidden, StringComparison.Ordinal);

        // Each of these is refused with 401 and says why; none of them schedules anything.
        string[] refused =
        [
            issuer.Token("alice@contoso", roles: ["Remediation.Operate"], expired: true),
            issuer.Token("alice@contoso", roles: ["Remediation.Operate"], audience: "api://someone-else"),
            issuer.Token("alice@contoso", roles: ["Remediation.Operate"], issuer: "https://login.example/other-tenant/v2.0"),
            new TestIssuer(issuer.Name).Token("alice@contoso", roles: ["Remediation.Operate"]),
            issuer.Token(null, roles: ["Remediation.Operate"]),
            operatorToken[..^4] + "AAAA",
        ];
        foreach (string token in refused)
        {
            (HttpStatusCode status, string problem) = await SendAsync(http, HttpMethod.Post, "/api/remediations", token, dryRun);
            output.WriteLine($"{(int)status}: {problem}");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("The bearer token is not valid", problem, StringComparison.Ordinal);
        }

        Assert.Equal(0, await TaskHubInstances.CountAsync(fixture.Facts.StorageConnectionString, hub));

        (HttpStatusCode started, string body) = await SendAsync(http, HttpMethod.Post, "/api/remediations", operatorToken, dryRun);
        Assert.Equal(HttpStatusCode.Accepted, started);
        string id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        (_, string view) = await SendAsync(http, HttpMethod.Get, "/api/remediations/" + id, operatorToken);
        Assert.Equal("alice@contoso", JsonNode.Parse(view)!["input"]!["requestedBy"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An issuer of the test's own: an RSA key, its public half as a JWKS, and RS256 tokens like Entra ID's.</summary>
    private sealed class TestIssuer(string name) : IDisposable
    {
        private readonly RSA _rsa = RSA.Create(2048);
        private readonly string _keyId = Guid.NewGuid().ToString("N")[..12];

        public string Name { get; } = name;

        public string Jwks
        {
            get
            {
                RSAParameters key = _rsa.ExportParameters(includePrivateParameters: false);
                var jwk = new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = _keyId,
                    ["n"] = Base64UrlEncoder.Encode(key.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                };
                return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
            }
        }

        public string Token(string? subject, string[]? roles = null, string? scopes = null, string audience = Audience, string? issuer = null, bool expired = false)
        {
            DateTime now = DateTime.UtcNow;
            var claims = new Dictionary<string, object>();
            if (subject is not null)
            {
                claims["sub"] = subject;
            }

            if (roles is not null)
            {
                claims["roles"] = roles;
            }

            if (scopes is not null)
            {
                claims["scp"] = scopes;
            }

            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Name,
                Audience = audience,
                IssuedAt = expired ? now.AddHours(-2) : now,
                NotBefore = expired ? now.AddHours(-2) : now.AddMinutes(-1),
                Expires = expired ? now.AddHours(-1) : now.AddMinutes(30),
                Claims = claims,
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = _keyId }, SecurityAlgorithms.RsaSha256),
            });
        }

        public void Dispose() => _rsa.Dispose();
    }

    /// <summary>An OpenID Connect issuer's discovery document and key set, served on loopback over HTTP.</summary>
    private sealed class OpenIdDiscoveryEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private int _requests;

        public OpenIdDiscoveryEndpoint()
        {
            int port = ServerProcess.FreePort();
            Authority = $"http://127.0.0.1:{port}/e2e-tenant/v2.0";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
        }

        public string Authority { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Serve(TestIssuer issuer)
        {
            string metadata = new JsonObject
            {
                ["issuer"] = issuer.Name,
                ["jwks_uri"] = Authority + "/discovery/v2.0/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            }.ToJsonString();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    string path = context.Request.Url!.AbsolutePath;
                    string? answer = path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) ? metadata
                        : path.EndsWith("/discovery/v2.0/keys", StringComparison.Ordinal) ? issuer.Jwks
                        : null;
                    context.Response.StatusCode = answer is null ? 404 : 200;
                    context.Response.ContentType = "application/json";
                    byte[] bytes = Encoding.UTF8.GetBytes(answer ?? "{}");
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }
    }
}
