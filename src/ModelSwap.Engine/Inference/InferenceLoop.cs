using System.Threading.Channels;
using LLama.Native;
using Microsoft.Extensions.Logging;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// The one owner of the model's batched context. Requests arrive on a channel; up to `parallel` of them
/// share each decode step (continuous batching: a new request joins between steps, a finished one
/// leaves), the rest wait in order. A request whose client went away is dropped before the next step.
/// The loop runs on one dedicated thread that calls llama.cpp itself, so every decode comes from the
/// same thread and reuses the same OpenMP worker team (see <see cref="Sequence"/>).
/// </summary>
internal sealed class InferenceLoop : IAsyncDisposable
{
    private readonly LoadedModel _model;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<GenerationJob> _queue = Channel.CreateUnbounded<GenerationJob>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LLamaBatch _batch = new();
    private volatile TaskCompletionSource? _pause;
    private int _queued;
    private int _active;
    private int _peakActive;
    private long _cancelled;

    public InferenceLoop(LoadedModel model, TimeProvider time, ILogger logger)
    {
        _model = model;
        _time = time;
        _logger = logger;
        var thread = new Thread(Run) { IsBackground = true, Name = "inference loop" };
        thread.Start();
    }

    /// <summary>Completes when the loop ends: after <see cref="DisposeAsync"/>, or on a crash (already logged).</summary>
    public Task Completion => _loop.Task;

    /// <summary>Generations being decoded now (not the ones waiting).</summary>
    public int ActiveGenerations => Volatile.Read(ref _active);

    /// <summary>Generations waiting for a free slot.</summary>
    public int QueuedGenerations => Volatile.Read(ref _queued);

    /// <summary>The most generations ever decoded together; never above `parallel`.</summary>
    public int PeakActiveGenerations => Volatile.Read(ref _peakActive);

    /// <summary>Generations dropped because their client went away.</summary>
    public long CancelledGenerations => Interlocked.Read(ref _cancelled);

    public GenerationJob Submit(GenerationRequest request, CancellationToken cancellation)
    {
        var job = new GenerationJob(request, cancellation);
        Interlocked.Increment(ref _queued);
        // A client that leaves while waiting is dropped at once, so the queue length stays true.
        job.WhileQueued = cancellation.Register(static state =>
        {
            var (loop, waiting) = ((InferenceLoop, GenerationJob))state!;
            if (!waiting.TryAbandon())
                return;
            Interlocked.Decrement(ref loop._queued);
            Interlocked.Increment(ref loop._cancelled);
            waiting.Complete(new GenerationResult(FinishReason.Cancelled, waiting.Request.PromptCount, 0, TimeSpan.Zero, TimeSpan.Zero));
        }, (this, job));
        if (!_queue.Writer.TryWrite(job) && job.TryAdmit())
        {
            job.WhileQueued.Dispose();
            Interlocked.Decrement(ref _queued);
            job.Fail(new EngineUnavailableException("the engine is stopping"));
        }
        return job;
    }

    /// <summary>Test hook: holds the loop before its next step, so tests can queue work and release it at once.</summary>
    internal void Pause() => Interlocked.CompareExchange(ref _pause, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    internal void Resume() => Interlocked.Exchange(ref _pause, null)?.TrySetResult();

    private void Run()
    {
        var slots = new List<ActiveGeneration>(_model.Parallel);
        try
        {
            while (true)
            {
                // Stopping ends running generations too (with an error event), not only the wait for work.
                _stopping.Token.ThrowIfCancellationRequested();
                if (_pause is { } pause)
                    pause.Task.Wait(_stopping.Token);
                Admit(slots);
                if (slots.Count == 0)
                {
                    // Idle: block this thread (it is ours) until a request or the stop arrives.
                    if (!_queue.Reader.WaitToReadAsync(_stopping.Token).AsTask().GetAwaiter().GetResult())
                        return;
                    continue;
                }

                foreach (var slot in slots)
                {
                    if (!slot.Finished && slot.Job.Cancellation.IsCancellationRequested)
                    {
                        slot.Finish(FinishReason.Cancelled);
                        Interlocked.Increment(ref _cancelled);
                    }
                }
                Release(slots);

                if (!Decode(slots))
                    continue;

                foreach (var slot in slots)
                {
                    if (!slot.Finished && slot.Sequence.RequiresSampling)
                        slot.Step();
                }
                Release(slots);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            EngineLog.LoopCrashed(_logger, ex);
        }
        finally
        {
            var stopping = new EngineUnavailableException("the engine is stopping");
            foreach (var slot in slots)
            {
                slot.Fail(stopping);
                slot.Dispose();
            }
            Volatile.Write(ref _active, 0);
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var waiting))
            {
                waiting.WhileQueued.Dispose();
                if (waiting.TryAdmit())
                    waiting.Fail(stopping);
            }
            _loop.TrySetResult();
        }
    }

    /// <summary>
    /// One decode of every slot's queued tokens, up to the context's batch size, as <see cref="BatchPlanner"/>
    /// shares them out (generating slots first, tokens in ascending sequence id). False when llama.cpp
    /// failed the batch.
    /// </summary>
    private bool Decode(List<ActiveGeneration> slots)
    {
        _batch.Clear();
        Span<BatchClaim> claims = slots.Count <= 64 ? stackalloc BatchClaim[slots.Count] : new BatchClaim[slots.Count];
        Span<BatchShare> shares = slots.Count <= 64 ? stackalloc BatchShare[slots.Count] : new BatchShare[slots.Count];
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            claims[i] = new BatchClaim(slot.Sequence.Id.Value, slot.Generated > 0, slot.Finished ? 0 : slot.Sequence.PendingCount);
        }
        var planned = BatchPlanner.Plan(claims, (int)_model.Context.BatchSize, shares);
        foreach (var share in shares[..planned])
            SlotWithId(slots, share.SequenceId).Sequence.AddTo(_batch, share.Count);
        if (_batch.TokenCount == 0)
            return true;
        var result = _model.Context.Decode(_batch);
        if (result == DecodeResult.Ok)
            return true;
        foreach (var slot in slots)
            slot.Sequence.DecodeFailed();
        FailAfterDecodeError(slots, result);
        return false;
    }

    private void Admit(List<ActiveGeneration> slots)
    {
        while (slots.Count < _model.Parallel && _queue.Reader.TryRead(out var job))
        {
            job.WhileQueued.Dispose();
            if (!job.TryAdmit())
                continue; // abandoned while waiting; already counted
            Interlocked.Decrement(ref _queued);
            var slot = new ActiveGeneration(job, _model, _time, _logger);
            slots.Insert(IndexById(slots, slot.Sequence.Id.Value), slot);
            Interlocked.Increment(ref _active);
            slot.Start();
        }
        var active = CountUnfinished(slots);
        if (active > Volatile.Read(ref _peakActive))
            Volatile.Write(ref _peakActive, active);
    }

    /// <summary>Frees the slots of finished generations (decodes are synchronous: none has tokens in flight).</summary>
    private void Release(List<ActiveGeneration> slots)
    {
        for (var i = slots.Count - 1; i >= 0; i--)
        {
            var slot = slots[i];
            if (!slot.Finished)
                continue;
            slots.RemoveAt(i);
            slot.Dispose();
        }
        Volatile.Write(ref _active, CountUnfinished(slots));
    }

    private void FailAfterDecodeError(List<ActiveGeneration> slots, DecodeResult result)
    {
        // The batch cannot be retried safely with these sequences in it; end them and start clean.
        var unfinished = slots.Where(s => !s.Finished).ToList();
        EngineLog.InferenceFailed(_logger, result.ToString(), unfinished.Count);
        var error = new EngineUnavailableException($"llama.cpp could not decode the batch ({result})");
        foreach (var slot in slots)
        {
            slot.Fail(error);
            slot.Dispose();
        }
        slots.Clear();
        _model.ResetContext();
        Volatile.Write(ref _active, 0);
    }

    /// <summary>Where a slot with sequence id <paramref name="id"/> goes to keep the slots in ascending id order.</summary>
    private static int IndexById(List<ActiveGeneration> slots, int id)
    {
        var index = 0;
        while (index < slots.Count && slots[index].Sequence.Id.Value < id)
            index++;
        return index;
    }

    private static ActiveGeneration SlotWithId(List<ActiveGeneration> slots, int id)
    {
        foreach (var slot in slots)
        {
            if (slot.Sequence.Id.Value == id)
                return slot;
        }
        throw new InvalidOperationException($"no slot holds sequence {id}");
    }

    private static int CountUnfinished(List<ActiveGeneration> slots)
    {
        var count = 0;
        foreach (var slot in slots)
        {
            if (!slot.Finished)
                count++;
        }
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.Task.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
