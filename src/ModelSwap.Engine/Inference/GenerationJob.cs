using System.Threading.Channels;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// A submitted generation as its requester sees it: text pieces as they are produced, then the result.
/// Only the inference loop writes; the HTTP side reads.
/// </summary>
internal sealed class GenerationJob
{
    private readonly Channel<string> _text = Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<GenerationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GenerationJob(GenerationRequest request, CancellationToken cancellation)
    {
        Request = request;
        Cancellation = cancellation;
    }

    private const int Queued = 0, Admitted = 1, Abandoned = 2;
    private int _state;

    public GenerationRequest Request { get; }

    /// <summary>The loop takes the job; false when its client left while it waited.</summary>
    internal bool TryAdmit() => Interlocked.CompareExchange(ref _state, Admitted, Queued) == Queued;

    /// <summary>The client left before the job got a slot; false when the loop already took it.</summary>
    internal bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    /// <summary>Unhooks the cancellation callback that drops the job while it waits.</summary>
    internal CancellationTokenRegistration WhileQueued { get; set; }

    /// <summary>The requester's interest: when it fires (client gone) the loop drops the generation.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Generated text in order; completes just before <see cref="Result"/>.</summary>
    public ChannelReader<string> Text => _text.Reader;

    /// <summary>How it ended; faults when the engine could not generate.</summary>
    public Task<GenerationResult> Result => _result.Task;

    /// <summary>Logprobs of generated tokens, when asked for; the HTTP side drains them as it writes text.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<TokenLogprob> Logprobs { get; } = new();

    internal void Write(string piece)
    {
        if (piece.Length > 0)
            _text.Writer.TryWrite(piece);
    }

    internal void Complete(GenerationResult result)
    {
        _text.Writer.TryComplete();
        _result.TrySetResult(result);
    }

    internal void Fail(Exception error)
    {
        // The text ends normally; the reader learns of the failure from Result.
        _text.Writer.TryComplete();
        _result.TrySetException(error);
    }
}
