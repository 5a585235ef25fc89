using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Inventory;
using Remediation.Ssh;
using Renci.SshNet.Common;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class SshNetConnectorTests
{
    private static readonly TargetDefinition Demo = new()
    {
        Name = "demo",
        Address = "127.0.0.1",
        SshPort = 2222,
        SshUser = "ops",
        HostKey = "SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc",
        PrivateKeyFile = "/var/lib/remediation-fixture/client_ed25519",
    };

    [Fact]
    public void DescribeMismatch_OtherKey_NamesTargetPresentedAndPinned()
    {
        // Act
        string message = SshNetConnector.DescribeMismatch(Demo, "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", "ssh-ed25519");

        // Assert
        Assert.Equal(
            "Host key for demo (127.0.0.1:2222) is SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ, not the pinned SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc — refusing to connect. "
            + "If the host was rebuilt, verify the new key out of band and update the inventory.",
            message);
    }

    [Fact]
    public void DescribeFailure_AuthenticationRefused_NamesUserAndWhatToCheck()
    {
        // Act
        string message = SshNetConnector.DescribeFailure(Demo, new SshAuthenticationException("Permission denied (publickey)."));

        // Assert
        Assert.StartsWith("SSH to demo (127.0.0.1:2222) refused authentication as ops: permission denied (publickey) — check the authorized key for user ops", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeFailure_ConnectionRefused_SaysConnectionRefused()
    {
        // Act
        string message = SshNetConnector.DescribeFailure(Demo, new SocketException((int)SocketError.ConnectionRefused));

        // Assert
        Assert.StartsWith("Cannot reach demo (127.0.0.1:2222): connection refused", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_MalformedPinnedKey_ThrowsBeforeConnecting()
    {
        // Arrange
        var connector = new SshNetConnector(Options.Create(new SshOptions()), NullLoggerFactory.Instance, TimeProvider.System);
        TargetDefinition target = Demo with { HostKey = "2UKaNjRNelESpwPlDThHABLWAX" };

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => connector.ConnectAsync(target, CancellationToken.None));

        // Assert
        Assert.Contains("no usable pinned host key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_MissingKeyFile_ThrowsUnreachableNamingTheFile()
    {
        // Arrange
        var connector = new SshNetConnector(Options.Create(new SshOptions()), NullLoggerFactory.Instance, TimeProvider.System);
        TargetDefinition target = Demo with { PrivateKeyFile = "/nonexistent/id_ed25519" };

        // Act
        var error = await Assert.ThrowsAsync<SshUnreachableException>(() => connector.ConnectAsync(target, CancellationToken.None));

        // Assert
        Assert.Contains("/nonexistent/id_ed25519", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsUnreachableWithConnectionRefused()
    {
        // Arrange: a port that was free a moment ago; nothing listens on it now.
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        string key = TestKeys.WriteThrowawayEd25519Key();
        var connector = new SshNetConnector(Options.Create(new SshOptions()), NullLoggerFactory.Instance, TimeProvider.System);
        TargetDefinition target = Demo with { SshPort = port, PrivateKeyFile = key };

        // Act
        var error = await Assert.ThrowsAsync<SshUnreachableException>(() => connector.ConnectAsync(target, CancellationToken.None));

        // Assert
        Assert.Equal($"Cannot reach demo (127.0.0.1:{port}): connection refused (is sshd running and listening on that port?).", error.Message);
    }
}
