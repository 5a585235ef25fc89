using System.Text;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class CappedOutputTests
{
    [Fact]
    public void Append_UnderCap_KeepsEverything()
    {
        // Arrange
        var output = new CappedOutput(16);

        // Act
        output.Append("hello\n"u8);
        output.Append("world\n"u8);

        // Assert
        Assert.False(output.Truncated);
        Assert.Equal(12, output.TotalBytes);
        Assert.Equal("hello\nworld\n", output.ToText());
    }

    [Fact]
    public void Append_OverCap_KeepsFirstBytesAndCountsAll()
    {
        // Arrange
        var output = new CappedOutput(8);

        // Act
        output.Append("0123456"u8);
        output.Append("789abcdef"u8);

        // Assert
        Assert.True(output.Truncated);
        Assert.Equal(16, output.TotalBytes);
        Assert.Equal("01234567", output.ToText());
    }

    [Fact]
    public void ToText_CapCutsMultiByteCharacter_DropsTheHalfCharacter()
    {
        // Arrange: "ab€" is 61 62 E2 82 AC; a cap of 4 keeps half of the euro sign.
        var output = new CappedOutput(4);

        // Act
        output.Append(Encoding.UTF8.GetBytes("ab€cd"));

        // Assert
        Assert.Equal("ab", output.ToText());
    }

    [Fact]
    public void ToText_CapEndsOnCompleteCharacter_KeepsIt()
    {
        // Arrange
        var output = new CappedOutput(5);

        // Act
        output.Append(Encoding.UTF8.GetBytes("ab€cd"));

        // Assert
        Assert.Equal("ab€", output.ToText());
    }

    [Fact]
    public async Task DrainAsync_LargeStream_ReadsToEndKeepingOnlyCap()
    {
        // Arrange
        var output = new CappedOutput(1024);
        using var stream = new MemoryStream(new byte[1_000_000]);

        // Act
        await output.DrainAsync(stream);

        // Assert
        Assert.Equal(1_000_000, output.TotalBytes);
        Assert.True(output.Truncated);
        Assert.Equal(1024, output.ToText().Length);
    }
}
