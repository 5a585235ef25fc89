using Azure;
using Azure.Data.Tables;

namespace Remediation.Tests.EndToEnd;

/// <summary>How many orchestration instances a task hub holds, read from its Instances table in Azurite.</summary>
internal static class TaskHubInstances
{
    public static async Task<int> CountAsync(string storageConnectionString, string hub)
    {
        var table = new TableClient(storageConnectionString, hub + "Instances");
        int count = 0;
        try
        {
            await foreach (TableEntity _ in table.QueryAsync<TableEntity>())
            {
                count++;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // DTFx had not created the table: no instance either.
        }

        return count;
    }
}
