using Remediation.Intake;
using Xunit;

namespace Remediation.Tests.Intake;

[Trait("Category", "Unit")]
public sealed class GroupCommitTests
{
    [Fact]
    public async Task ItemsArrivingDuringAWrite_GoOutTogetherInTheNextOne()
    {
        var batches = new List<int[]>();
        var firstWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit<int, string>(
            async items =>
            {
                lock (batches)
                {
                    batches.Add([.. items]);
                }

                if (batches.Count == 1)
                {
                    await firstWrite.Task;
                }

                return [.. items.Select(i => $"stored {i}")];
            },
            maxBatch: 100);

        Task<string> first = commit.AddAsync(0);
        await WaitUntilAsync(() => batches.Count == 1);
        Task<string>[] queued = [.. Enumerable.Range(1, 20).Select(commit.AddAsync)];
        Assert.False(first.IsCompleted);
        firstWrite.SetResult();

        Assert.Equal("stored 0", await first);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"stored {i}"), await Task.WhenAll(queued));
        Assert.Equal([[0], [.. Enumerable.Range(1, 20)]], batches);
    }

    [Fact]
    public async Task ABatchIsNeverLargerThanTheLimit()
    {
        var sizes = new List<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit<int, int>(
            async items =>
            {
                lock (sizes)
                {
                    sizes.Add(items.Count);
                }

                await gate.Task;
                return items;
            },
            maxBatch: 4);

        Task<int> first = commit.AddAsync(0);
        await WaitUntilAsync(() => sizes.Count == 1);
        Task<int>[] rest = [.. Enumerable.Range(1, 10).Select(commit.AddAsync)];
        gate.SetResult();

        int[] stored = await Task.WhenAll([first, .. rest]);
        Assert.Equal(Enumerable.Range(0, 11), stored);
        Assert.Equal([1, 4, 4, 2], sizes);
    }

    [Fact]
    public async Task AFailedWrite_FailsItsOwnBatchOnly_AndTheNextOneIsWritten()
    {
        int writes = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit<int, int>(
            async items =>
            {
                if (Interlocked.Increment(ref writes) == 1)
                {
                    await gate.Task;
                    throw new InvalidOperationException("storage unreachable");
                }

                return items;
            },
            maxBatch: 100);

        Task<int> failed = commit.AddAsync(1);
        await WaitUntilAsync(() => Volatile.Read(ref writes) == 1);
        Task<int> next = commit.AddAsync(2);
        gate.SetResult();

        Assert.Equal("storage unreachable", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        Assert.Equal(2, await next);
        Assert.Equal(3, await commit.AddAsync(3));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
