// Package usl answers the second article's question: when requests per second
// went up, was it performance (response time fell) or scalability (more work
// in parallel)?
//
// # Little's law
//
// A system with N jobs in it at once (its concurrency), each taking a
// response time R, completes
//
//	X = N / R   jobs per second       (Little's law, N = X × R)
//
// so any two of concurrency N, throughput X and response time R give the
// third (Complete). Between two measurements the change in throughput splits
// exactly into a performance part (R moved) and a scalability part (N moved):
//
//	ln(X2/X1) = ln(N2/N1) − ln(R2/R1)
//	X2/X1     = (R1/R2) × (N2/N1)  =  performance factor × scalability factor
//
// (ComparePoints). The articles' examples: a system at 1 request per second
// that halves its latency goes to 2 per second by performance alone (×2 × ×1);
// one that does two at a time goes to 2 per second by scalability alone
// (×1 × ×2).
//
// # The Universal Scalability Law
//
// Measured at several concurrencies, throughput follows Gunther's Universal
// Scalability Law (N. J. Gunther, Guerrilla Capacity Planning, Springer
// 2007):
//
//	X(N) = λN / (1 + σ(N − 1) + κN(N − 1))
//
// λ is the throughput of one job at a time, X(1), in jobs per second: the
// performance. σ is contention, the fraction of the work that waits its turn
// (serialization, queueing); κ is coherency, the cost of keeping N workers
// consistent with each other (crosstalk), which grows with N². Both are
// dimensionless; σ and κ describe scalability. From them:
//
//	R(N)  = N / X(N) = (1 + σ(N − 1) + κN(N − 1)) / λ   seconds
//	N*    = sqrt((1 − σ) / κ)          the concurrency of peak throughput
//	X(N*)                              the peak throughput
//	λ / σ                              Amdahl's limit, the ceiling as N → ∞ when κ = 0
//
// Better performance (larger λ) moves the response-time curve R(N) down;
// better scalability (smaller σ, κ, larger N*) moves it right.
//
// Fit estimates λ, σ and κ from measurements by nonlinear least squares on
// throughput, with a Levenberg–Marquardt method written here that keeps
// λ > 0 and 0 ≤ σ ≤ 1, κ ≥ 0 (σ is a fraction of the work: Gunther's
// 0 ≤ σ < 1). When a bound binds the fit says so in words ("no coherency
// penalty: κ = 0, no peak"). Standard errors come from the Jacobian at the
// solution, s²(JᵀJ)⁻¹ with s² = SSE / (n − 3), the formula of R's nls and
// of the R package usl;
// 95% confidence intervals use the Student t quantile with n − 3 degrees of
// freedom, cut at the bounds.
//
// # Measurement files
//
// ReadCSV reads a CSV file (or one separated by tabs or semicolons, detected
// from the header) whose header names its columns. Any two of these give a measurement; column
// names are case-insensitive, and spaces, dashes and underscores are alike:
//
//	concurrency   concurrency, n, clients, users, threads, workers, vus,
//	              connections, load, processors, cpus, parallelism,
//	              jobs_in_system
//	throughput    throughput, x, rps, qps, tps, rate, requests_per_second
//	latency       latency, response_time, r, rt, response, mean_latency,
//	              mean_response_time
//
// With all three present, concurrency and throughput are used. Open-loop
// load tests give throughput and latency; concurrency then comes from
// Little's law, N = X × R. Closed-loop tests give concurrency with either;
// they are taken to have no think time (N counts the jobs in the system).
//
// Units go in the cells ("100/s", "2.4k/min", "250ms") or in the header
// ("latency_ms", "latency (ms)", "throughput_per_min", "throughput (/min)").
// A bare throughput is per second; a bare latency needs a unit in its header.
// Concurrency is a plain number. Every value must be positive and finite.
// Lines starting with # are comments; other columns are ignored.
//
// Errors name the file, line and column, like encoding/csv's ParseError.
//
// Everything here is a pure function or a plain value, safe for concurrent
// use.
package usl
