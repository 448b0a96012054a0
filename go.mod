module github.com/boxes-project/boxes

go 1.26.0
