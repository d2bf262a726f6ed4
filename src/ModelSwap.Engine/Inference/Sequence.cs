using LLama;
using LLama.Native;
using LLama.Sampling;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// One generation's share of the shared context: its sequence id (KV cells), the tokens queued for the
/// next decode, and where its logits land in the batch. Only the inference loop's thread touches it.
/// Replaces LLamaSharp's BatchedExecutor/Conversation, whose decode hops to a thread-pool thread per
/// step: each hop hands llama.cpp a new calling thread and with it a new OpenMP worker team, so the
/// idle teams of earlier threads spin beside the working one and 2 threads ran no faster than 1.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly SequenceIds _ids;
    private readonly LLamaContext _context;
    private LLamaToken[] _pending = [];
    private int _pendingOffset;
    private int _position;
    private int _logitsIndex = -1;
    private bool _lastAdded;
    private bool _disposed;

    public Sequence(SequenceIds ids, LLamaContext context)
    {
        _ids = ids;
        _context = context;
        Id = ids.Rent();
    }

    public LLamaSeqId Id { get; }

    /// <summary>Tokens in the cache plus those queued for it.</summary>
    public int TokenCount => _position + (_pending.Length - _pendingOffset);

    /// <summary>Tokens wait to be decoded.</summary>
    public bool RequiresInference => _pendingOffset < _pending.Length;

    /// <summary>The last decode produced this sequence's next-token logits, not yet sampled.</summary>
    public bool RequiresSampling => _logitsIndex >= 0;

    /// <summary>Positions were filled outside the loop's batch (a prompt's images, through the projector); later tokens follow them.</summary>
    public void Cached(int positions)
    {
        if (_position != 0 || RequiresInference)
            throw new InvalidOperationException("only an empty sequence can take evaluated positions");
        _position = positions;
    }

    /// <summary>Queues tokens for the next decodes (a long prompt spans several batches).</summary>
    public void Prompt(ReadOnlySpan<LLamaToken> tokens)
    {
        if (RequiresInference || RequiresSampling)
            throw new InvalidOperationException("the sequence still has tokens to decode or logits to sample");
        _pending = tokens.ToArray();
        _pendingOffset = 0;
    }

    public void Prompt(LLamaToken token)
    {
        if (RequiresInference || RequiresSampling)
            throw new InvalidOperationException("the sequence still has tokens to decode or logits to sample");
        _pending = _pending.Length == 1 ? _pending : new LLamaToken[1];
        _pending[0] = token;
        _pendingOffset = 0;
    }

    /// <summary>Tokens queued and not yet in a batch.</summary>
    public int PendingCount => _pending.Length - _pendingOffset;

    /// <summary>Adds up to <paramref name="count"/> queued tokens; logits only for the last queued one.</summary>
    public void AddTo(LLamaBatch batch, int count)
    {
        _lastAdded = false;
        for (; count > 0 && _pendingOffset < _pending.Length; count--)
        {
            var last = _pendingOffset == _pending.Length - 1;
            var index = batch.Add(_pending[_pendingOffset++], _position++, Id, last);
            if (last)
            {
                _logitsIndex = index;
                _lastAdded = true;
            }
        }
    }

    /// <summary>After a failed decode nothing of this step counts: the logits index is void.</summary>
    public void DecodeFailed()
    {
        if (_lastAdded)
            _logitsIndex = -1;
    }

    /// <summary>The raw next-token logits (valid until the next decode).</summary>
    public Span<float> Logits() => _context.NativeHandle.GetLogitsIth(_logitsIndex);

    /// <summary>Samples the next token; the logits are then spent.</summary>
    public LLamaToken Sample(ISamplingPipeline sampler)
    {
        var token = sampler.Sample(_context.NativeHandle, _logitsIndex);
        _logitsIndex = -1;
        return token;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_context.NativeHandle.IsClosed)
            _context.NativeHandle.MemorySequenceRemove(Id, -1, -1);
        _ids.Return(Id);
    }
}
