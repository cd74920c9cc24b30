using System.Globalization;
using System.Security.Cryptography;

namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>Sweep ids: the spec's name, the UTC launch time and a random suffix ("lenet-study-20261129-074452-3f9a").</summary>
public static class SweepIds
{
    public static string New(string name, DateTime? utcNow = null)
    {
        var time = (utcNow ?? DateTime.UtcNow).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"{name}-{time}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
    }

    /// <summary>Null when <paramref name="id"/> can be a sweep id, else why not.</summary>
    public static string? Check(string id) =>
        string.IsNullOrWhiteSpace(id) ? "a sweep id cannot be empty"
        : id.Length > 128 ? $"sweep id '{id[..32]}...' is longer than 128 characters"
        : id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) ? $"sweep id '{id}' may hold only letters, digits, '-', '_' and '.'"
        : null;
}
