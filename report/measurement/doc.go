// Package measurement writes what boxes makes of measurements: a Universal
// Scalability Law fit (`boxes fit`), the split of two measurements or two
// fits into performance and scalability (`boxes compare`, the second
// article's X = N / R), and the sampled curves, each as text, JSON, CSV,
// charts and an HTML page.
package measurement
