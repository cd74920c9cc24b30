namespace Sweep.Silo.Hosting;

public sealed class RedisSettings
{
    /// <summary>StackExchange.Redis configuration string ("host:port,password=..."). Secret: never logged.</summary>
    public string? ConnectionString { get; set; }
}
