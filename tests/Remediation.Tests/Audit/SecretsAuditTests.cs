using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Audit;

/// <summary>
/// Runs after the end-to-end suite (test.sh's second pass, trait Phase=Audit): the fixture's database passwords and every
/// line of its private keys must be nowhere in what the runs left behind — the servers' logs, every blob, and every table
/// entity and queue message of the task hubs in Azurite.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Phase", "Audit")]
[Collection(TargetHostCollection.Name)]
public sealed class SecretsAuditTests(TargetHostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Audit_AfterTheEndToEndSuite_FindsNoSecretAnywhere()
    {
        FixtureFacts facts = fixture.Facts;
        var scanner = new SecretScanner(
            SecretScanner.PasswordFile(facts.PgPasswordFile)
                .Concat(SecretScanner.PasswordFile(facts.OdooDbPasswordFile))
                .Concat(SecretScanner.PasswordFile(facts.OdooCheckPasswordFile))
                .Concat(SecretScanner.PrivateKeyFile(facts.ClientKeyFile))
                .Concat(SecretScanner.PrivateKeyFile(Path.Combine(facts.StateDirectory, "ssh_host_ed25519_key"))));

        await ScanBlobsAsync(scanner);
        await ScanTablesAsync(scanner);
        await ScanQueuesAsync(scanner);
        foreach (string log in Directory.Exists(ServerProcess.LogDirectory) ? Directory.EnumerateFiles(ServerProcess.LogDirectory, "*.log") : [])
        {
            scanner.ScanLogFile(log);
        }

        output.WriteLine(scanner.Summary);
        Assert.True(scanner.Hits.Count == 0, scanner.Summary + ":\n" + string.Join('\n', scanner.Hits));
        // Not vacuous: the suite filed restart logs and records, left history in the task hubs and wrote server logs.
        Assert.True(scanner.Blobs >= 10, scanner.Summary);
        Assert.True(scanner.Entities >= 100, scanner.Summary);
        Assert.True(scanner.LogLines >= 100, scanner.Summary);
    }

    private async Task ScanBlobsAsync(SecretScanner scanner)
    {
        var service = new BlobServiceClient(fixture.Facts.StorageConnectionString);
        await foreach (BlobContainerItem container in service.GetBlobContainersAsync())
        {
            BlobContainerClient client = service.GetBlobContainerClient(container.Name);
            await foreach (BlobItem blob in client.GetBlobsAsync())
            {
                string text = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                scanner.ScanBlob($"{container.Name}/{blob.Name}", text);
            }
        }
    }

    private async Task ScanTablesAsync(SecretScanner scanner)
    {
        var service = new TableServiceClient(fixture.Facts.StorageConnectionString);
        await foreach (Azure.Data.Tables.Models.TableItem table in service.QueryAsync())
        {
            TableClient client = service.GetTableClient(table.Name);
            await foreach (TableEntity entity in client.QueryAsync<TableEntity>())
            {
                string text = string.Join('\n', entity.Select(property => $"{property.Key}={property.Value}"));
                scanner.ScanEntity($"{table.Name}/{entity.PartitionKey}/{entity.RowKey}", text);
            }
        }
    }

    private async Task ScanQueuesAsync(SecretScanner scanner)
    {
        var service = new QueueServiceClient(fixture.Facts.StorageConnectionString);
        await foreach (QueueItem queue in service.GetQueuesAsync())
        {
            // Peeking leaves the messages where they are (at most 32, the service's limit); the tables keep the history.
            PeekedMessage[] messages = (await service.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value;
            foreach (PeekedMessage message in messages)
            {
                scanner.ScanMessage($"{queue.Name}/{message.MessageId}", message.Body.ToString());
            }
        }
    }
}
