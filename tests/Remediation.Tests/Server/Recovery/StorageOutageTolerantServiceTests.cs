using System.Collections;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Server.DurableRuntime;
using Xunit;

namespace Remediation.Tests.Server.Recovery;

[Trait("Category", "Unit")]
public sealed class StorageOutageTolerantServiceTests
{
    [Fact]
    public void ActiveActivitySessions_ThisDtfxVersion_IsFoundAndEmpty()
    {
        IDictionary sessions = StorageOutageTolerantService.ActiveActivitySessions(NewService());

        Assert.Empty(sessions);
    }

    [Fact]
    public async Task AbandonTaskActivityWorkItemAsync_InnerFails_ForgetsTheMessageSoItCanBeDeliveredAgain()
    {
        AzureStorageOrchestrationService inner = NewService();
        IDictionary sessions = StorageOutageTolerantService.ActiveActivitySessions(inner);
        // An entry without a session makes DTFx's abandon throw, as an unreachable queue does after the entry is found.
        sessions.Add("message-1", null);
        var tolerant = new StorageOutageTolerantService(inner, NullLogger<StorageOutageTolerantService>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => tolerant.AbandonTaskActivityWorkItemAsync(new TaskActivityWorkItem { Id = "message-1" }));

        Assert.False(sessions.Contains("message-1"));
    }

    [Fact]
    public async Task RenewTaskActivityWorkItemLockAsync_InnerFails_ReturnsTheWorkItemSoTheDispatcherKeepsRenewing()
    {
        AzureStorageOrchestrationService inner = NewService();
        StorageOutageTolerantService.ActiveActivitySessions(inner).Add("message-2", null);
        var tolerant = new StorageOutageTolerantService(inner, NullLogger<StorageOutageTolerantService>.Instance);
        DateTime lockedUntil = DateTime.UtcNow.AddSeconds(3);
        var workItem = new TaskActivityWorkItem { Id = "message-2", LockedUntilUtc = lockedUntil };

        TaskActivityWorkItem renewed = await tolerant.RenewTaskActivityWorkItemLockAsync(workItem);

        // DTFx stops renewing when the call throws; an unchanged lock time makes it renew again at its next tick.
        Assert.Same(workItem, renewed);
        Assert.Equal(lockedUntil, renewed.LockedUntilUtc);
    }

    private static AzureStorageOrchestrationService NewService() =>
        new(AzureStorageTaskHubSettings.Create(new DurableRuntimeOptions { TaskHubName = "tolerant" }, NullLoggerFactory.Instance));
}
