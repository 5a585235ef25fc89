using System.Text.Json;
using Xunit;

namespace Remediation.Tests.Server;

/// <summary>Every orchestrator and activity in <see cref="DurableTasks"/> must have its thin <c>[Function]</c> wrapper in Remediation.Functions, under the same name.</summary>
/// <remarks>
/// Reads the functions.metadata the Functions SDK writes at build time — exactly what the Functions host indexes — from
/// the Remediation.Functions build with this test's configuration (the solution build produces both). The test project
/// does not reference the Functions app: that would drag the worker SDK's generated entry point into the test host.
/// </remarks>
[Trait("Category", "Unit")]
public sealed class FunctionsRegistrationTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Triggers = new(ReadDurableTriggers);

    [Fact]
    public void DurableTasks_EveryOrchestrator_HasAnOrchestrationTriggerFunction()
    {
        string[] missing = [.. DurableTasks.Orchestrators.Select(t => t.Name).Where(name => !HasTrigger(name, "orchestrationTrigger"))];

        Assert.True(
            missing.Length == 0,
            $"No Azure Functions wrapper for orchestrator(s) {string.Join(", ", missing)}: add to src/Remediation.Functions/DurableTasks/OrchestratorFunctions.cs " +
            "[Function(nameof(X))] public static Task<TOutput> Run([OrchestrationTrigger] TaskOrchestrationContext context, TInput input) => new X().RunAsync(context, input);");
    }

    [Fact]
    public void DurableTasks_EveryActivity_HasAnActivityTriggerFunction()
    {
        string[] missing = [.. DurableTasks.Activities.Select(t => t.Name).Where(name => !HasTrigger(name, "activityTrigger"))];

        Assert.True(
            missing.Length == 0,
            $"No Azure Functions wrapper for activit(y/ies) {string.Join(", ", missing)}: add to src/Remediation.Functions/DurableTasks/ActivityFunctions.cs " +
            "[Function(nameof(X))] public static Task<TOutput> Run([ActivityTrigger] TInput input, string instanceId, FunctionContext context) => RunAsync<X, TInput, TOutput>(input, instanceId, context);");
    }

    [Fact]
    public void FunctionsApp_EveryDurableTrigger_IsListedInDurableTasks()
    {
        HashSet<string> listed = [.. DurableTasks.Orchestrators.Concat(DurableTasks.Activities).Select(t => t.Name)];

        string[] strays = [.. Triggers.Value.Keys.Where(name => !listed.Contains(name))];

        Assert.True(
            strays.Length == 0,
            $"Remediation.Functions has durable function(s) {string.Join(", ", strays)} that DurableTasks does not list, so the self-hosted server would not run them: list them in src/Remediation.Core/DurableTasks.cs or remove the wrapper.");
    }

    private static bool HasTrigger(string name, string triggerType) =>
        Triggers.Value.TryGetValue(name, out string? actual) && actual == triggerType;

    // Function name -> its orchestrationTrigger / activityTrigger binding type.
    private static Dictionary<string, string> ReadDurableTriggers()
    {
        string path = FunctionsMetadataPath();
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(path));
        var triggers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement function in metadata.RootElement.EnumerateArray())
        {
            foreach (JsonElement binding in function.GetProperty("bindings").EnumerateArray())
            {
                string type = binding.GetProperty("type").GetString() ?? "";
                if (type is "orchestrationTrigger" or "activityTrigger")
                {
                    triggers[function.GetProperty("name").GetString()!] = type;
                }
            }
        }

        return triggers;
    }

    /// <summary>The functions.metadata of the Remediation.Functions build with this test's configuration.</summary>
    internal static string FunctionsMetadataPath()
    {
        // .../tests/Remediation.Tests/bin/<Configuration>/<TargetFramework>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string targetFramework = output.Name;
        string configuration = output.Parent!.Name;
        DirectoryInfo? root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Remediation.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"Remediation.sln not found above {output.FullName}");
        string path = Path.Combine(root.FullName, "src", "Remediation.Functions", "bin", configuration, targetFramework, "functions.metadata");
        Assert.True(
            File.Exists(path),
            $"{path} does not exist: build the solution (dotnet build -c {configuration} at the repository root) so Remediation.Functions is built with the tests.");
        return path;
    }
}
