package com.royalcare.scheduler; public class Main { public static void main(String[] a){} }
