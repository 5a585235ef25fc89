using Remediation.Intake;
using Xunit;

namespace Remediation.Tests.Intake;

[Trait("Category", "Unit")]
public sealed class SingleFlightTests
{
    [Fact]
    public async Task CallsDuringAnExecution_ShareIt_AndACallAfterItRunsAfresh()
    {
        var flight = new SingleFlight<int>();
        int runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<int> Work()
        {
            int run = Interlocked.Increment(ref runs);
            await gate.Task;
            return run;
        }

        Task<(int Result, bool Shared)> first = flight.RunAsync("demo", Work);
        Task<(int Result, bool Shared)>[] during = [.. Enumerable.Range(0, 10).Select(_ => flight.RunAsync("demo", Work))];
        Task<(int Result, bool Shared)> other = flight.RunAsync("other", () => Task.FromResult(42));
        gate.SetResult();

        Assert.Equal((1, false), await first);
        Assert.All(await Task.WhenAll(during), d => Assert.Equal((1, true), d));
        Assert.Equal((42, false), await other);
        Assert.Equal((2, false), await flight.RunAsync("demo", Work));
    }

    [Fact]
    public async Task AFailure_ReachesEveryCallerOfThatExecution_AndTheNextCallRunsAgain()
    {
        var flight = new SingleFlight<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<int> Failing()
        {
            await gate.Task;
            throw new InvalidOperationException("lock storage unreachable");
        }

        Task<(int, bool)> first = flight.RunAsync("demo", Failing);
        Task<(int, bool)> second = flight.RunAsync("demo", Failing);
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Equal((7, false), await flight.RunAsync("demo", () => Task.FromResult(7)));
    }
}
