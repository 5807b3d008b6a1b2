module straitwatch

go 1.26
