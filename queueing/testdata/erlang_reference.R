# Reference values for Erlang B and Erlang C, computed with R's Poisson
# distribution (dpois/ppois use Loader's saddle-point algorithm and the
# incomplete gamma function), independently of the recursion in erlang.go:
#   B(c, a) = P(N = c) / P(N <= c),                       N ~ Poisson(a)
#   C(c, a) = P(N = c) / (P(N = c) + (1 - a/c) P(N <= c - 1))
# Run: Rscript queueing/testdata/erlang_reference.R
options(digits = 17)
cases <- list(c(1, 0.5), c(2, 1), c(15, 8.108), c(10, 5), c(50, 40), c(100, 80), c(100, 99),
              c(1000, 950), c(1000, 999), c(10000, 9800), c(100000, 99000), c(100000, 99900),
              c(100000, 50000), c(100000, 100500))
for (x in cases) {
  cc <- x[1]; a <- x[2]
  b <- exp(dpois(cc, a, log = TRUE) - ppois(cc, a, log.p = TRUE))
  if (a < cc) {
    p <- dpois(cc, a); q <- ppois(cc - 1, a)
    erlc <- p / (p + (1 - a / cc) * q)
  } else erlc <- 1
  cat(sprintf("{%d, %.10g, %.15e, %.15e},\n", cc, a, b, erlc))
}
