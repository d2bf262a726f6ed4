using System.Security.Cryptography;

namespace ModelSwap.Engine.Api;

/// <summary>OpenAI-style response ids: a prefix and 24 random letters and digits.</summary>
internal static class ResponseIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 24);
}
