fn main() {
    let s = String::from("hello"); // s 进入作用域

    takes_ownership(s); // s 的值移动进函数……
                        // ……所以到这里 s 不再有效

    let x = 5; // x 进入作用域

    makes_copy(x); // x 应该移动进函数，
                   // 但 i32 是 Copy 的，所以之后仍可使用 x
} // x 离开作用域；s 的值已经被移走，这里什么也不会发生

fn takes_ownership(some_string: String) {
    println!("{some_string}");
} // some_string 离开作用域并调用 `drop`，占用的内存被释放

fn makes_copy(some_integer: i32) {
    println!("{some_integer}");
}
