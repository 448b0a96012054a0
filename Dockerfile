# boxes in a container, for sweeps run as a Kubernetes Indexed Job (see the
# README, "Running a sweep on a cluster"): a static binary on an empty
# image, run as a non-root user.
#
#   docker build -t boxes .
#   docker run --rm boxes simulate
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /boxes ./cmd/boxes

FROM scratch
COPY --from=build /boxes /boxes
USER 65532:65532
ENTRYPOINT ["/boxes"]
