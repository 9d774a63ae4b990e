resource "a" "b" {
  name = "x"
  repository = "y"
}
