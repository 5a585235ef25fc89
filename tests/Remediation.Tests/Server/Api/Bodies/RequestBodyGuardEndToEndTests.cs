using Azure;
using Azure.Storage.Blobs;
using Remediation.Intake.Locks;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Server.Api.Bodies;

/// <summary>The real server process with the real intake: refused bodies leave no lock blob and no run in the task hub, and no stack trace in the log.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class RequestBodyGuardEndToEndTests(TargetHostFixture fixture)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Post_OversizeOrNotJson_IsRefusedAndSchedulesNothing()
    {
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(fixture, "body-guards");
        BlobClient lockBlob = new BlobServiceClient(fixture.Facts.StorageConnectionString).GetBlobContainerClient(BlobTargetLocks.Container).GetBlobClient("demo.json");
        ETag? lockBefore = await ETagOfAsync(lockBlob);
        await using ServerProcess server = await EndToEndServer.StartAsync(fixture, hub, inventory);
        string head(string contentType, string extra) =>
            $"POST /api/remediations HTTP/1.1\nHost: {server.BaseAddress.Authority}\nContent-Type: {contentType}\n{extra}\n";

        (int big, _) = await RawHttp.SendAsync(server.BaseAddress, head("application/json", $"Content-Length: {40 * MiB}"), RawHttp.Fixed(40 * MiB, (byte)'{'));
        (int whitespace, _) = await RawHttp.SendAsync(server.BaseAddress, head("application/json", $"Content-Length: {10 * MiB}"), RawHttp.Fixed(10 * MiB, (byte)' '));
        (int chunked, _) = await RawHttp.SendAsync(server.BaseAddress, head("application/json; charset=utf-8", "Transfer-Encoding: chunked"), RawHttp.Chunked(2 * MiB, (byte)' '));
        string restart = EndToEndServer.RestartRequest();
        (int text, _) = await RawHttp.SendAsync(server.BaseAddress, head("text/plain", $"Content-Length: {restart.Length}"), RawHttp.Text(restart));

        Assert.Equal((413, 413, 413, 415), (big, whitespace, chunked, text));
        Assert.Equal(lockBefore, await ETagOfAsync(lockBlob));
        Assert.Equal(0, await TaskHubInstances.CountAsync(fixture.Facts.StorageConnectionString, hub));
        Assert.DoesNotContain("Exception", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    private static async Task<ETag?> ETagOfAsync(BlobClient blob) =>
        await blob.ExistsAsync() ? (await blob.GetPropertiesAsync()).Value.ETag : null;
}
