using System.Text;
using LLama;
using LLama.Sampling;
using SamplingGrammar = LLama.Sampling.Grammar;
using Microsoft.Extensions.Logging;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Inference;

/// <summary>One admitted generation inside the inference loop: its conversation (KV slot), sampler and text state.</summary>
internal sealed class ActiveGeneration : IDisposable
{
    private readonly LoadedModel _model;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DefaultSamplingPipeline _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly StopSequenceMatcher _stops;
    private readonly long _admittedAt;
    private readonly StringBuilder? _held;
    private long _firstTokenAt;
    private int _generated;

    public ActiveGeneration(GenerationJob job, LoadedModel model, TimeProvider time, ILogger logger)
    {
        Job = job;
        _model = model;
        _time = time;
        _logger = logger;
        _admittedAt = time.GetTimestamp();
        var sampling = job.Request.Sampling;
        _sampler = new DefaultSamplingPipeline
        {
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            TopK = sampling.TopK,
            MinP = sampling.MinP,
            PresencePenalty = sampling.PresencePenalty,
            FrequencyPenalty = sampling.FrequencyPenalty,
            RepeatPenalty = sampling.RepeatPenalty,
            Seed = sampling.Seed ?? (uint)Random.Shared.NextInt64(0, uint.MaxValue),
            Grammar = job.Request.Grammar is { } gbnf ? new SamplingGrammar(gbnf, "root") : null,
        };
        _decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Weights);
        _stops = new StopSequenceMatcher(job.Request.Stop);
        _held = job.Request.Streamed ? null : new StringBuilder();
        Sequence = new Sequence(model.SequenceIds, model.Context);
    }

    public GenerationJob Job { get; }

    /// <summary>Tokens generated so far; past the prompt, each step queues one.</summary>
    public int Generated => _generated;
    public Sequence Sequence { get; }

    /// <summary>Set once the job is completed; the loop then releases the slot.</summary>
    public bool Finished { get; private set; }

    /// <summary>Queues the prompt; ends at once when nothing may be generated.</summary>
    public void Start()
    {
        if (Job.Request.MaxTokens == 0)
        {
            Finish(FinishReason.Length);
            return;
        }
        if (Job.Request.Media is { } media)
        {
            try
            {
                Sequence.Cached(media.EvaluateHead(_model.Context.NativeHandle, Sequence.Id, (int)_model.Context.BatchSize));
            }
            catch (InvalidOperationException ex)
            {
                Fail(ex);
                return;
            }
        }
        Sequence.Prompt(Job.Request.PromptTokens.AsSpan());
    }

    /// <summary>Samples the next token after a decode, emits its text, and queues it unless the generation ends.</summary>
    public void Step()
    {
        float[]? logits = null;
        if (Job.Request.TopLogprobs is not null)
            logits = Sequence.Logits().ToArray();
        var token = Sequence.Sample(_sampler);
        if (_firstTokenAt == 0)
            _firstTokenAt = _time.GetTimestamp();

        if (token.IsEndOfGeneration(_model.Vocab))
        {
            Finish(FinishReason.Stop);
            return;
        }

        _generated++;
        if (logits is not null)
            Job.Logprobs.Enqueue(LogprobCalculator.For(logits, token, Job.Request.TopLogprobs!.Value, _model));
        _decoder.Add(token);
        Emit(_stops.Push(_decoder.Read()));
        if (_stops.Stopped)
        {
            Finish(FinishReason.Stop);
            return;
        }

        // The sampled token is not in the cache yet: prompt + completion may fill the context exactly.
        if (_generated >= (Job.Request.MaxTokens ?? int.MaxValue) || Sequence.TokenCount + 1 >= _model.ContextPerRequest)
        {
            Finish(FinishReason.Length);
            return;
        }
        Sequence.Prompt(token);
    }

    public void Finish(FinishReason reason)
    {
        if (Finished)
            return;
        Finished = true;
        if (reason != FinishReason.Cancelled)
            Emit(_stops.Flush());
        if (_held is not null)
            Job.Write(_held.ToString());
        var now = _time.GetTimestamp();
        var firstToken = _firstTokenAt == 0 ? now : _firstTokenAt;
        var result = new GenerationResult(
            reason,
            Job.Request.PromptCount,
            _generated,
            _time.GetElapsedTime(_admittedAt, firstToken),
            _time.GetElapsedTime(firstToken, now))
        {
            StoppingWord = reason == FinishReason.Stop ? _stops.Matched : null,
        };
        Job.Complete(result);
        var seconds = result.PredictTime.TotalSeconds;
        EngineLog.GenerationDone(_logger, Job.Request.RequestId, result.PromptTokens, result.CompletionTokens,
            reason.ToString().ToLowerInvariant(), seconds > 0 ? result.CompletionTokens / seconds : 0);
    }

    /// <summary>Text for the requester: now when it streams, else kept for the end.</summary>
    private void Emit(string piece)
    {
        if (_held is null)
            Job.Write(piece);
        else
            _held.Append(piece);
    }

    public void Fail(Exception error)
    {
        if (Finished)
            return;
        Finished = true;
        Job.Fail(error);
    }

    public void Dispose()
    {
        Sequence.Dispose();
        _sampler.Dispose();
    }
}
