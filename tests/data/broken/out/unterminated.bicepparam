using 'main.bicep'

// A literal that runs to the end of the line.
param a = 'x
