"""双随机、一公开: 随机抽查事项清单, 检查对象名录库, inspectors (certified Officers with declared
回避), 抽查计划, the verifiable draw ``qingdan-draw/1`` (docs/draw.md), 检查任务 and their results."""
