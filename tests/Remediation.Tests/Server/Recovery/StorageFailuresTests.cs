using System.Net.Sockets;
using Azure;
using Grpc.Core;
using Remediation.Server.Api;
using Xunit;

namespace Remediation.Tests.Server.Recovery;

[Trait("Category", "Unit")]
public sealed class StorageFailuresTests
{
    public static TheoryData<Exception, StorageFailures.Verdict> Cases => new()
    {
        { new RequestFailedException(0, "Connection refused (127.0.0.1:10001)"), StorageFailures.Verdict.Unreachable },
        { new RequestFailedException(503, "Server busy"), StorageFailures.Verdict.Unreachable },
        { new RequestFailedException(404, "BlobNotFound"), StorageFailures.Verdict.None },
        { new RequestFailedException(409, "LeaseAlreadyPresent"), StorageFailures.Verdict.None },
        { new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.")), StorageFailures.Verdict.Unreachable },
        { new RpcException(new Status(StatusCode.Unknown, "Exception was thrown by handler.")), StorageFailures.Verdict.Possibly },
        { new RpcException(new Status(StatusCode.NotFound, "no such instance")), StorageFailures.Verdict.None },
        { new InvalidOperationException("wrapper", new AggregateException(new HttpRequestException("refused", new SocketException(111)))), StorageFailures.Verdict.Unreachable },
        { new InvalidOperationException("a bug"), StorageFailures.Verdict.None },
        { new TimeoutException("The operation was cancelled because it exceeded the configured timeout"), StorageFailures.Verdict.Unreachable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Exception_GivesItsVerdict(Exception exception, StorageFailures.Verdict expected)
    {
        Assert.Equal(expected, StorageFailures.Classify(exception));
    }
}
