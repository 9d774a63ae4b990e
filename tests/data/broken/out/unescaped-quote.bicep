// A quote that ends the literal early.
param a string = 'it's'
