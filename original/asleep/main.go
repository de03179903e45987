package main

func main() {
	ch := make(chan int)
	ch <- 1 // nobody will ever receive: every goroutine of the program is asleep
}
