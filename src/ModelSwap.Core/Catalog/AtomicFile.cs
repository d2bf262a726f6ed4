using System.Text;

namespace ModelSwap.Core.Catalog;

/// <summary>Writes a text file so a reader sees the old or the new content, never half of one.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly it; true when written.</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (File.Exists(full) && File.ReadAllText(full, Encoding.UTF8) == content)
            {
                return false;
            }
        }
        catch (IOException)
        {
            // Unreadable now: write it anew.
        }
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // Same folder, so the rename stays on one file system and is atomic.
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return true;
    }
}
