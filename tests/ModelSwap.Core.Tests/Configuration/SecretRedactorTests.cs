using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Env_values_key_flags_and_secret_assignments_are_hidden()
    {
        var config = Valid("""
            apiKeys: ["sk-gateway-1"]
            models:
              m:
                cmd: server --port ${PORT} --model ${env.MODELS}/a.gguf --api-key ${env.UPSTREAM} --hf-token hf_abcdef --max-tokens 512 --api-key-file /etc/key
            """, new Dictionary<string, string> { ["MODELS"] = "/srv/private-models", ["UPSTREAM"] = "sk-upstream-9" });
        var redactor = new SecretRedactor(config);
        var command = redactor.RedactCommand(config.Models["m"].Command);
        var text = string.Join(' ', command);
        Assert.Contains("${env.MODELS}/a.gguf", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/private-models", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-upstream-9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_abcdef", text, StringComparison.Ordinal);
        Assert.Contains("--max-tokens 512", text, StringComparison.Ordinal);
        Assert.Contains("--api-key-file /etc/key", text, StringComparison.Ordinal);

        Assert.Equal("auth with *** HF_TOKEN=*** n_tokens=12 --hf-token ***",
            redactor.Redact("auth with sk-gateway-1 HF_TOKEN=hf_xyz n_tokens=12 --hf-token hf_qqq"));
        Assert.Equal(SecretRedactor.Mask, redactor.RedactEnvironment("OPENAI_API_KEY", "sk-1"));
        Assert.Equal("${env.MODELS}", redactor.RedactEnvironment("MODELS_DIR", "/srv/private-models"));
    }
}
