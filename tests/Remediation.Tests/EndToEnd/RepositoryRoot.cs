namespace Remediation.Tests.EndToEnd;

/// <summary>Finds the checkout's root (the folder holding Remediation.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Remediation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Remediation.sln above {AppContext.BaseDirectory}");
    }
}
