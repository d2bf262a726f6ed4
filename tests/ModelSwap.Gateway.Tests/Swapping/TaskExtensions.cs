namespace ModelSwap.Gateway.Tests.Swapping;

internal static class TaskExtensions
{
    /// <summary>Awaits with the harness's hang guard.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(CoordinatorHarness.HangGuard);

    public static Task Within(this Task task) => task.WaitAsync(CoordinatorHarness.HangGuard);
}
