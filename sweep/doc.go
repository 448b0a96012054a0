// Package sweep runs one scenario under many configurations: every
// setting, named by its path in the scenario document ("box.latency",
// "policies[hpa].target"), takes a list of values or a range, and each
// combination is a configuration run on the same traffic. It answers the
// decision users face: the cheapest configuration that meets the
// objective.
//
// Configurations that leave the workload alone replay one reading of it
// (scenario.Samples), and run on every core; the output is the same
// bytes as running each configuration alone, and does not depend on the
// number of workers.
//
// A sweep shards deterministically: shard i of n owns the configurations
// whose index is i modulo n, writes them as a Part, and Merge puts the
// parts back together in index order, so n shards merged give the same
// bytes as one run. That lets a sweep run as a Kubernetes Indexed Job
// (KubernetesJob), a Slurm job array or xargs -P on one host.
//
// The package works on the scenario document (a YAML node tree) and knows
// nothing of the engines: the caller decodes each configuration's document
// as a scenario and runs it.
package sweep
