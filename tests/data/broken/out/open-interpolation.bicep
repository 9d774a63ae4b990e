// An interpolation that is never closed.
var t = 'a ${b'
