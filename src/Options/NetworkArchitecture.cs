namespace Sweep.Options;

/// <summary>The networks a trial can train (option `arch`).</summary>
public enum NetworkArchitecture
{
    LeNet300100,
    LeNet5Caffe,
}
