# Reference fits of the Universal Scalability Law, X = lambda*N/(1 + sigma*(N-1) + kappa*N*(N-1)),
# with R's nls (algorithm "port", bounds lambda >= 0, 0 <= sigma <= 1, kappa >= 0), run offline:
#   cd usl/testdata && Rscript reference.R > reference.Rout   (R 4.2.2, Debian bookworm r-base-core)
# nls differentiates numerically; the standard errors are also recomputed here from the
# analytic Jacobian at nls's estimates (sqrt(diag(solve(t(J) %*% J)) * SSE/df)), the
# formula package usl uses. Intervals: estimate -/+ qt(0.975, df) * se.
usl_fit <- function(name, N, X) {
  d <- data.frame(N = N, X = X)
  m <- nls(X ~ lambda * N / (1 + sigma * (N - 1) + kappa * N * (N - 1)),
           data = d, algorithm = "port",
           start = list(lambda = max(X / N), sigma = 0.01, kappa = 0.0001),
           lower = c(0, 0, 0), upper = c(Inf, 1, Inf),
           control = nls.control(maxiter = 1000, tol = 1e-12, scaleOffset = 1))
  s <- summary(m)
  df <- s$df[2]
  est <- coef(m)
  l <- est[["lambda"]]; sg <- est[["sigma"]]; k <- est[["kappa"]]
  D <- 1 + sg * (N - 1) + k * N * (N - 1)
  J <- cbind(N / D, -l * N * (N - 1) / D^2, -l * N^2 * (N - 1) / D^2)
  sse <- sum((X - l * N / D)^2)
  se <- sqrt(diag(solve(t(J) %*% J)) * sse / df)
  q <- qt(0.975, df)
  cat("##", name, "\n")
  print(cbind(estimate = est, se.nls = s$coefficients[, 2], se = se, low = est - q * se, high = est + q * se), digits = 10)
  cat("df", df, " sse", format(sse, digits = 12), " residual se", format(sqrt(sse / df), digits = 10),
      " r.squared", format(1 - sse / sum((X - mean(X))^2), digits = 10), "\n")
  if (k > 0) {
    ns <- sqrt((1 - sg) / k)
    cat("peak N*", format(ns, digits = 10), " X(N*)", format(l * ns / (1 + sg * (ns - 1) + k * ns * (ns - 1)), digits = 10), "\n")
    v <- solve(t(J) %*% J) * sse / df
    g <- c(0, -1 / (2 * k * ns), -ns / (2 * k))
    cat("se(N*) by the delta method", format(sqrt(drop(t(g) %*% v %*% g)), digits = 10), "\n")
    w <- c(floor(ns), ceiling(ns))
    cat("X at the whole numbers", w, ":", format(l * w / (1 + sg * (w - 1) + k * w * (w - 1)), digits = 10), "\n")
  }
  if (sg > 0) cat("limit lambda/sigma", format(l / sg, digits = 10), "\n")
  cat("\n")
}
# SPEC SDM91, Sun SPARCcenter 2000 (Gunther, Guerrilla Capacity Planning, 2007; R package usl, data(specsdm91)).
usl_fit("specsdm91", c(1, 18, 36, 72, 108, 144, 216),
        c(64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2))
# Ray tracer on an SGI Origin 2000 (Gunther 2007; R package usl, data(raytracer)).
usl_fit("raytracer", c(1, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64),
        c(20, 78, 130, 170, 190, 200, 210, 230, 260, 280, 310))
# R package usl, tests/coef.R: throughput of sigma = kappa = 0.02 rounded to 4 decimals.
usl_fit("usl-coef", c(1, 2, 4, 6, 8, 10), c(1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557))
# bench32.csv (make_bench32.py).
b <- read.csv("bench32.csv", comment.char = "#")
usl_fit("bench32", b$concurrency, b$throughput)
