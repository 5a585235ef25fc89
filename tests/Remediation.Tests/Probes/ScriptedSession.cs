using Remediation.Ssh;

namespace Remediation.Tests.Probes;

/// <summary>An <see cref="ISshSession"/> that answers each command text from a script, and records what was run.</summary>
internal sealed class ScriptedSession : ISshSession
{
    private readonly Dictionary<string, Queue<Func<string, CommandResult>>> _answers = new(StringComparer.Ordinal);

    public List<string> Ran { get; } = [];

    public ScriptedSession On(string command, int exitCode, string stdout = "", string stderr = "", bool truncated = false)
    {
        if (!_answers.TryGetValue(command, out Queue<Func<string, CommandResult>>? queue))
        {
            queue = new Queue<Func<string, CommandResult>>();
            _answers[command] = queue;
        }

        queue.Enqueue(text => new CommandResult { Command = text, ExitCode = exitCode, Stdout = stdout, Stderr = stderr, OutputTruncated = truncated });
        return this;
    }

    public Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string text = command.ToString();
        Ran.Add(text);
        if (_answers.TryGetValue(text, out Queue<Func<string, CommandResult>>? queue) && queue.Count > 0)
        {
            return Task.FromResult(queue.Count == 1 ? queue.Peek()(text) : queue.Dequeue()(text));
        }

        throw new InvalidOperationException($"No scripted answer for `{text}`.");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
