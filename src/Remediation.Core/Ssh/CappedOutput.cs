using System.Text;

namespace Remediation.Ssh;

/// <summary>Keeps the first bytes of a command's output stream up to a cap and counts (then drops) the rest.</summary>
internal sealed class CappedOutput
{
    private readonly byte[] _buffer;
    private int _kept;

    public CappedOutput(int cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap);
        _buffer = new byte[cap];
    }

    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > _kept;

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        int room = _buffer.Length - _kept;
        if (room > 0)
        {
            ReadOnlySpan<byte> taken = data[..Math.Min(room, data.Length)];
            taken.CopyTo(_buffer.AsSpan(_kept));
            _kept += taken.Length;
        }
    }

    /// <summary>
    /// Reads the stream to its end. SSH.NET buffers a command's output without limit until someone reads it,
    /// so draining while the command runs is what keeps a chatty command from filling memory.
    /// </summary>
    /// <remarks>
    /// SSH.NET's command streams only block: their ReadAsync parks a thread-pool thread for the whole command.
    /// Two per running command starved the pool on 2 cores, and the readiness watch that runs beside a restart
    /// then probed every ~160 ms instead of every 50 ms and missed outages. The read runs on its own thread.
    /// </remarks>
    public Task DrainAsync(Stream stream) =>
        Task.Factory.StartNew(() => Drain(stream), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Drain(Stream stream)
    {
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            Append(chunk.AsSpan(0, read));
        }
    }

    /// <summary>UTF-8 text of the kept bytes; a character cut in half by the cap is dropped rather than mangled.</summary>
    public string ToText()
    {
        int length = Truncated ? CompleteUtf8Length(_buffer.AsSpan(0, _kept)) : _kept;
        return Encoding.UTF8.GetString(_buffer, 0, length);
    }

    private static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        // Look back at most 3 bytes for the lead byte of the last sequence and check it is complete.
        for (int back = 1; back <= Math.Min(4, bytes.Length); back++)
        {
            byte b = bytes[^back];
            if ((b & 0b1100_0000) == 0b1000_0000)
            {
                continue;
            }

            int needed = b switch
            {
                < 0b1000_0000 => 1,
                >= 0b1111_0000 => 4,
                >= 0b1110_0000 => 3,
                >= 0b1100_0000 => 2,
                _ => 1,
            };
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }
}
