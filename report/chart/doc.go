// Package chart draws a picture of numbers against two linear axes (lines,
// shaded areas, bands, points and marks, a title and a legend) to SVG and
// to PNG with the same code, so the two show the same thing, and the same
// Chart always gives the same bytes. It knows nothing of simulations or
// fits: the report package turns results into Charts; this package only
// draws them, with the palette every chart of boxes shares.
package chart
