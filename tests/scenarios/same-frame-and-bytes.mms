# Equal content is not the same frame: two pages filled with the same
# pattern stay distinct; poke changes one byte only; fork shares frames.
proc A
mmap A 0x100000000000 16K
write A 0x100000000000 8K pattern=0x0102030405060708
poke A 0x100000001007 0xff
expect same_frame A 0x100000000000 A 0x100000001000 == no
expect byte A 0x100000000000 == 8
expect byte A 0x100000000007 == 1
expect byte A 0x100000001007 == 255
expect byte A 0x100000001006 == 2
expect byte A 0x10000000100f == 1
fork A B
expect same_frame A 0x100000001000 B 0x100000001000 == yes
expect same_frame A 0x100000000000 B 0x100000001000 == no
poke B 0x100000001000 0x42
expect same_frame A 0x100000001000 B 0x100000001000 == no
expect byte B 0x100000001000 == 66
expect byte B 0x100000001007 == 255
expect byte A 0x100000001000 == 8
