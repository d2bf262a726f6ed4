namespace ModelSwap.Gateway.Activity;

/// <summary>Why ModelSwap ended a request, and how the client is told (status and error code of the envelope).</summary>
internal sealed record RequestEnd(int Status, string Code, string Message)
{
    public static RequestEnd ShuttingDown(string detail) => new(503, "shutting_down", "ModelSwap is shutting down: " + detail);

    public static RequestEnd Cancelled() => new(503, "request_cancelled", "the request was cancelled (POST /api/requests/{id}/cancel)");

    public static RequestEnd SwapTimeout(string model, string waitingFor, TimeSpan waited) => new(503, "swap_timeout",
        $"the request to '{model}' was ended after {waited.TotalSeconds:0.#} s because '{waitingFor}' was waiting for it to finish (swapWaitTimeout)");
}
