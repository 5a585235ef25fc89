using System.Net.Sockets;
using Azure;
using Grpc.Core;

namespace Remediation.Server.Api;

/// <summary>Tells apart exceptions that mean "storage (or the task hub behind the sidecar) cannot be reached" from the product's own errors.</summary>
public static class StorageFailures
{
    /// <summary>How sure an exception is to come from unreachable storage.</summary>
    public enum Verdict
    {
        /// <summary>Not a storage failure: a bug or a bad request, answered 500 as before.</summary>
        None,

        /// <summary>A storage failure by its type (no answer, 5xx, timeout).</summary>
        Unreachable,

        /// <summary>The sidecar failed without saying why (gRPC Unknown/Internal): unreachable only if the probe agrees.</summary>
        Possibly,
    }

    /// <summary>The verdict for an exception and everything inside it (DTFx wraps storage errors in its own internal exception type, with the Azure one inside).</summary>
    public static Verdict Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Verdict verdict = Verdict.None;
        foreach (Exception e in SelfAndInner(exception))
        {
            Verdict own = e switch
            {
                RequestFailedException r when r.Status is 0 or 408 or >= 500 => Verdict.Unreachable,
                RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } => Verdict.Unreachable,
                RpcException { StatusCode: StatusCode.Unknown or StatusCode.Internal } => Verdict.Possibly,
                HttpRequestException { InnerException: SocketException } => Verdict.Unreachable,
                SocketException or TimeoutException => Verdict.Unreachable,
                _ => Verdict.None,
            };
            if (own == Verdict.Unreachable)
            {
                return own;
            }

            if (own == Verdict.Possibly)
            {
                verdict = own;
            }
        }

        return verdict;
    }

    private static IEnumerable<Exception> SelfAndInner(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        int seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            Exception e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
