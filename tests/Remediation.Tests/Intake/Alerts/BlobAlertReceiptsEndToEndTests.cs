using Azure.Storage.Blobs;
using Remediation.Intake.Alerts;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Receipts on the fixture's Azurite: concurrent ones share a blob, each is read back by its own id.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class BlobAlertReceiptsEndToEndTests(TargetHostFixture fixture)
{
    [Fact]
    public async Task ConcurrentReceipts_AreFiledInFewBlobs_AndEachReadsBackByItsId()
    {
        var blobs = new BlobServiceClient(fixture.Facts.StorageConnectionString);
        var receipts = new BlobAlertReceipts(blobs, TimeProvider.System);
        DateTime received = DateTime.UtcNow;
        string marker = Guid.NewGuid().ToString("N");

        AlertReceipt[] filed = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => receipts.FileAsync(
            "alertmanager", received, [new AlertOutcome { Key = $"{marker}-{i}", Status = "firing", Action = AlertOutcome.Ignored, Reason = "no rule matches" }]))));

        Assert.Equal(200, filed.Select(r => r.Id).Distinct().Count());
        // The batch is the id less its index: 200 receipts filed at once took far fewer blobs.
        Assert.InRange(filed.Select(r => r.Id[..r.Id.LastIndexOf('.')]).Distinct().Count(), 1, 100);
        foreach (AlertReceipt receipt in filed)
        {
            AlertReceipt read = (await receipts.ReadAsync(receipt.Id, CancellationToken.None))!;
            Assert.Equal((receipt.Id, receipt.Alerts[0].Key, "alertmanager"), (read.Id, read.Alerts[0].Key, read.Source));
        }

        Assert.Null(await receipts.ReadAsync(filed[0].Id[..^1] + "999", CancellationToken.None));
        Assert.Null(await receipts.ReadAsync("../run-locks/demo", CancellationToken.None));
    }
}
