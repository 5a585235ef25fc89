namespace Remediation.Intake;

/// <summary>
/// Stores concurrent items as batches: while one batch is being written, items that arrive wait and go out together in
/// the next one. Each caller's task completes only when the batch holding its item is stored (or fails with that
/// batch's error), so an answer still means "stored"; storage sees one write per batch instead of one per item.
/// </summary>
/// <remarks>
/// A storage account takes a few hundred small writes a second from one client (Azurite ~300 here): with one write per
/// webhook call that, not the host, caps the intake. One batch in flight at a time keeps the order of batches and
/// bounds what a failed write takes down with it to <c>maxBatch</c> items.
/// </remarks>
public sealed class GroupCommit<TItem, TResult>
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly int _maxBatch;
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _pending = new();
    private bool _writing;

    /// <param name="write">Stores one batch and answers one result per item, in the items' order.</param>
    /// <param name="maxBatch">The most items one write takes.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _write = write;
        _maxBatch = maxBatch;
    }

    /// <summary>Queues the item; completes with its result once its batch is stored.</summary>
    public Task<TResult> AddAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            _pending.Enqueue(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The first caller of an idle committer writes until nothing is pending; off its own thread, so its answer
            // waits for its own batch only.
            _ = Task.Run(WriteUntilDrainedAsync);
        }

        return pending.Stored.Task;
    }

    private async Task WriteUntilDrainedAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = new List<Pending>(Math.Min(_pending.Count, _maxBatch));
                while (batch.Count < _maxBatch && _pending.TryDequeue(out Pending? next))
                {
                    batch.Add(next);
                }
            }

            try
            {
                IReadOnlyList<TResult> results = await _write([.. batch.Select(p => p.Item)]);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A batch write answered {results.Count} results for {batch.Count} items.");
                }

                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Stored.SetResult(results[i]);
                }
            }
            catch (Exception e)   // the batch's callers get the failure; the committer goes on with the next batch
            {
                foreach (Pending pending in batch)
                {
                    pending.Stored.TrySetException(e);
                }
            }
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Stored);
}
