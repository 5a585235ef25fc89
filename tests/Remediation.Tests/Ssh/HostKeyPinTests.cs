using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class HostKeyPinTests
{
    private const string Pinned = "SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc";

    [Theory]
    [InlineData("SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc")]
    [InlineData("2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc")]
    [InlineData("SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc=")]
    [InlineData(" SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc ")]
    public void Matches_SameDigestInAnyNotation_True(string presented)
    {
        // Act
        bool matches = HostKeyPin.Matches(Pinned, presented);

        // Assert
        Assert.True(matches);
    }

    [Theory]
    [InlineData("SHA256:2ukaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc")]
    [InlineData("SHA256:3UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc")]
    [InlineData("")]
    public void Matches_OtherDigestOrCase_False(string presented)
    {
        // Act
        bool matches = HostKeyPin.Matches(Pinned, presented);

        // Assert
        Assert.False(matches);
    }

    [Theory]
    [InlineData(Pinned, true)]
    [InlineData(Pinned + "=", true)]
    [InlineData("2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc", false)]
    [InlineData("MD5:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc", false)]
    [InlineData("SHA256:tooshort", false)]
    [InlineData("SHA256:!!KaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc", false)]
    [InlineData("", false)]
    public void IsWellFormed_Variants_OnlyFullSha256Accepted(string pinned, bool expected)
    {
        // Act
        bool wellFormed = HostKeyPin.IsWellFormed(pinned);

        // Assert
        Assert.Equal(expected, wellFormed);
    }
}
